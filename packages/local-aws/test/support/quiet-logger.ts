/** Logs only errors unless `LOCAL_STACK_LOG=1`: a failure should show in the test output, routine lines should not. */
export const quietLogger: Pick<Console, 'info' | 'warn' | 'error'> = {
  info: (...args) => {
    if (process.env.LOCAL_STACK_LOG) console.info(...args);
  },
  warn: (...args) => {
    if (process.env.LOCAL_STACK_LOG) console.warn(...args);
  },
  error: (...args) => console.error(...args),
};
