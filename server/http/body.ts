/**
 * Request body limits for the route handlers that parse JSON (tRPC, auth): a body above the limit
 * is refused with 413 before it is parsed, whether it declares its length or streams it.
 */

/** The most bytes a JSON request body may have unless a route needs more. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export function payloadTooLarge(maxBytes: number): Response {
  return Response.json({ error: { message: `The request body must be at most ${maxBytes} bytes.` } }, { status: 413 });
}

/**
 * `request` with its body read into memory if it is at most `maxBytes`, or a 413 response (the
 * stream is cancelled at the first byte over, so a huge upload is never held).
 */
export async function limitBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<Request | Response> {
  if (!request.body) return request;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return payloadTooLarge(maxBytes);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new Request(request, { body: Buffer.concat(chunks, total) });
}
