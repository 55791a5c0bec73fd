// Starts the loopback token server (which also serves the smoke page) before Playwright's workers start;
// they inherit TOKEN_SERVER_URL through the environment.
import { startTokenServer } from './token-server.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startTokenServer();
  process.env.TOKEN_SERVER_URL = server.url;
  return () => server.close();
}
