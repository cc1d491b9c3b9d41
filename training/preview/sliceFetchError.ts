/** The dataset server or host answered with an error; `message` says what went wrong. Browser-safe. */
export class SliceFetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "SliceFetchError";
  }
}
