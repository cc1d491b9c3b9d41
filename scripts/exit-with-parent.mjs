/**
 * Preloaded (`node --import`) into every child of `npm start`, which names itself in
 * LRLAB_SUPERVISOR_PID. When that process is gone, however it died (kill -9 included), the child
 * stops itself with SIGTERM, so its own clean shutdown runs (the worker checkpoints and releases
 * its run), and with SIGKILL if that takes too long. Polled: `process.ppid` is read once at start,
 * and a pipe on an extra fd was closed and its number reused by tfjs's wasm threads set-up.
 */
const supervisor = Number(process.env.LRLAB_SUPERVISOR_PID);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

if (supervisor > 0) {
  const timer = setInterval(() => {
    if (alive(supervisor)) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => process.kill(process.pid, "SIGKILL"), 20_000).unref();
  }, 500);
  timer.unref(); // never what keeps a child alive
}
