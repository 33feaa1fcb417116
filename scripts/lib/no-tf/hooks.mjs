// Module resolution hook (see register.mjs): any module under node_modules/@tensorflow, or the
// parallel trainer, fails to resolve with FORBIDDEN, its URL and its importer. Both are slow to
// load, and parsing options or refusing bad input must not need them.
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/@tensorflow/') || r.url.endsWith('/src/model/train/parallel.ts')) {
    throw new Error('FORBIDDEN ' + r.url + ' imported by ' + context.parentURL);
  }
  return r;
}
