import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { chromiumPath, launchBrowserServer, startSabor } from './harness';

/**
 * Starts, once per run, the server most test files share (`sharedSabor`) and the one Chromium all
 * of them drive (`connectBrowser`): a fresh server and browser per file cost more than the tests.
 * Without Chromium the browser tests skip themselves (harness `browserAvailable`), so none starts.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [sabor, browser] = await Promise.all([
    startSabor(),
    existsSync(chromiumPath) ? launchBrowserServer() : undefined,
  ]);
  project.provide('saborOrigin', sabor.origin);
  if (browser) project.provide('browserEndpoint', browser.wsEndpoint());
  return async () => {
    await browser?.close();
    await sabor.stop();
  };
}
