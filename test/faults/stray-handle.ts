// Preloaded into the CLI by guarantees.test.ts: a driver that never lets go (a ref'd interval that is
// never cleared), to prove the CLI's backstop still ends the process after the report.
setInterval(() => {}, 1000);
