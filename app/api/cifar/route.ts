/**
 * GET /api/cifar?split=train|test&offset=N&count=M: examples [N, N + M) of the prepared CIFAR-10
 * cache in the slice wire format (training/data/sliceFormat.ts: 20-byte header, labels, pixels),
 * for the in-browser preview. A count running past the end is cut there; an offset at or past
 * the end, or any malformed parameter, is a 400 with a message; no dataset prepared is a 503.
 * Responses are cacheable: the ETag names the split file's content hash and the window.
 */
import { CacheError, readCacheSlice, readManifest, resolveDataDir } from "../../../training/data/node";
import { formatIssue, ValidationError, type FieldIssue } from "../../../training/errors";
import { parseSliceQuery } from "./query";

export const runtime = "nodejs";

function problem(status: number, message: string, issues?: FieldIssue[]): Response {
  return Response.json({ error: message, ...(issues ? { issues } : {}) }, { status, headers: { "cache-control": "no-store" } });
}

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSliceQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return problem(400, `Bad slice request: ${parsed.issues.map(formatIssue).join("; ")}`, parsed.issues);
  const { split, offset, count } = parsed.request;
  const dataDir = resolveDataDir();
  try {
    const manifest = await readManifest(dataDir);
    const etag = `"${manifest.splits[split].sha256.slice(0, 16)}-${split}-${offset}-${count}"`;
    const headers = { etag, "cache-control": "public, max-age=86400" };
    if (offset < manifest.splits[split].count && request.headers.get("if-none-match") === etag)
      return new Response(null, { status: 304, headers });
    const body = await readCacheSlice({ dataDir, split, offset, count });
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { ...headers, "content-type": "application/octet-stream", "content-length": String(body.byteLength) },
    });
  } catch (error) {
    if (error instanceof ValidationError) return problem(400, `Bad slice request: ${error.message}`, error.issues);
    if (error instanceof CacheError) {
      return problem(
        503,
        "The CIFAR-10 dataset is not prepared on this server (or its cache is damaged), so previews cannot load images. Run `lrlab data prepare` on the server.",
      );
    }
    throw error;
  }
}
