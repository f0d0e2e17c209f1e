// `npm run example`: starts the demo service, then runs syncproof on examples/default as a Job would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDemoService, DEMO_PORT } from './demo-service.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const config = fileURLToPath(new URL('./default', import.meta.url));

const server = await startDemoService().catch((error: Error) => {
  console.error(`cannot start the demo service on 127.0.0.1:${DEMO_PORT}: ${error.message}`);
  process.exit(2);
});
const child = spawn(process.execPath, [cli, 'run', '--config', config, '--termination-log', '', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { LOG_LEVEL: 'warn', ARGOCD_APP_NAME: 'orders', ARGOCD_APP_REVISION: '3f2a9c1d0e5b', ...process.env },
});
child.on('close', (code) => {
  server.close();
  process.exitCode = code ?? 3;
});
