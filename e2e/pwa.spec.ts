// Installable and offline (issue 6): the web app manifest is linked, valid and its icons
// load; Chromium itself finds the app installable; after one online visit the service
// worker has precached the shell, the wasm binaries and the bundled model, and a reload
// with the network off still starts the app (cross-origin isolated) with the model's
// files answered by the service worker. Needs the service worker in the build:
//   npx vite build && npx tsx scripts/build-sw.ts && npx playwright test e2e/pwa.spec.ts
import { expect, test, type Page } from '@playwright/test';

interface ManifestIcon {
  src: string;
  sizes: string;
  type?: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Waits until a service worker is active and controls the page. */
async function controlled(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  // clients.claim() hands the page to the worker while it is still 'activating': wait for the
  // state change (at most 30 s) rather than reading it at that moment.
  return page.evaluate(async () => {
    const active = (await navigator.serviceWorker.ready).active;
    if (!active) return 'none';
    if (active.state === 'activating') {
      await new Promise<void>((done) => {
        const timer = setTimeout(done, 30_000);
        active.addEventListener('statechange', () => {
          if (active.state !== 'activating') {
            clearTimeout(timer);
            done();
          }
        });
      });
    }
    return active.state;
  });
}

// One page load for the three parts (each load starts the model and, without ?backend=, the
// backends' timing in the background): the manifest, then Chromium's installability checks
// once the service worker controls the page, then the precache and the offline start.
test('the manifest is valid and its icons load, Chromium finds the app installable, and after one online visit it starts offline', async ({ page, request, context }) => {
  await page.goto('/');
  await test.step('the web app manifest is linked, valid, and its icons load', async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href!, page.url()).href;
    const res = await request.get(manifestUrl);
    expect(res.ok()).toBe(true);
    const manifest = (await res.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest.name).toBe('Valence Monitor');
    expect(typeof manifest.short_name).toBe('string');
    expect(['standalone', 'fullscreen', 'minimal-ui']).toContain(manifest.display);
    expect(new URL(manifest.start_url as string, manifestUrl).href).toBe(new URL('/', page.url()).href);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    await expect(page.locator('meta[name="theme-color"]').first()).toHaveAttribute('content', /^#/);
    const appleHref = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');

    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    for (const need of ['192x192', '512x512']) expect(pngs.some((i) => i.sizes === need && (i.purpose ?? 'any') === 'any')).toBe(true);
    expect(pngs.some((i) => i.purpose === 'maskable' && i.sizes === '512x512')).toBe(true);
    for (const icon of manifest.icons) {
      const r = await request.get(new URL(icon.src, manifestUrl).href);
      expect(r.ok(), icon.src).toBe(true);
      expect(r.headers()['content-type']).toContain(icon.type === 'image/svg+xml' ? 'svg' : 'png');
      if (icon.type === 'image/png') {
        const [w, h] = pngSize(await r.body());
        expect(`${w}x${h}`, icon.src).toBe(icon.sizes);
      }
    }
    const apple = await request.get(new URL(appleHref!, page.url()).href);
    expect(pngSize(await apple.body())).toEqual([180, 180]);
  });

  await test.step('Chromium finds the app installable (its own manifest checks)', async () => {
    expect(await controlled(page)).toBe('activated');
    const cdp = await page.context().newCDPSession(page);
    const { errors, url } = await cdp.send('Page.getAppManifest');
    expect(url).toMatch(/manifest\.webmanifest$/);
    expect(errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Playwright's contexts are incognito, where Chromium never offers to install: that one
    // is about the test browser, not the app; any other entry is a real problem.
    expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  });

  await test.step('after one online visit the app starts offline, with the model served by the service worker', async () => {
    // The precache holds the shell, the wasm binaries and the bundled model.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    expect(cached).toContain('/index.html');
    expect(cached.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(cached.some((u) => /analysis\.worker-.*\.js$/.test(u))).toBe(true);
    expect(cached.some((u) => /tfjs-webgpu-.*\.js$/.test(u))).toBe(true); // WebGPU's backend, fetched only where there is an adapter
    expect(cached.some((u) => /^\/models\/[^/]+\/weights\.bin$/.test(u))).toBe(true);
    expect(cached.some((u) => u.endsWith('.safetensors') || u.endsWith('README.md'))).toBe(false);

    await context.setOffline(true);
    const fromNetwork: string[] = [];
    page.on('response', (r) => {
      if (!r.fromServiceWorker() && r.url().startsWith('http')) fromNetwork.push(r.url());
    });
    await page.reload();
    await expect(page.locator('vm-app')).toBeAttached();
    // The app element upgraded (its code came from the cache) and isolation headers survived the cache.
    expect(await page.evaluate(() => customElements.get('vm-app') !== undefined)).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    const model = await page.evaluate(async () => {
      const index = (await (await fetch('/models/index.json')).json()) as { default: string };
      const json = (await (await fetch(`/models/${index.default}/model.json`)).json()) as { weightsManifest: { paths: string[] }[] };
      const weights = await (await fetch(`/models/${index.default}/${json.weightsManifest[0].paths[0]}`)).arrayBuffer();
      return { name: index.default, weightBytes: weights.byteLength };
    });
    expect(model.weightBytes).toBeGreaterThan(100_000);
    expect(fromNetwork).toEqual([]);
    await context.setOffline(false);
  });
});
