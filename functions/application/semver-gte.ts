/**
 * What Lambda bundles get for `semver` (an esbuild alias, `LAMBDA_BUNDLE.alias`). Its only caller in
 * a bundle is aws-xray-sdk-core's AWS SDK *v2* patcher (`patchers/aws_p.js`, `captureAWS`), which
 * checks the v2 SDK's version with `semver.gte`; we trace SDK v3 clients (`captureAWSv3Client`,
 * `patchers/aws3_p.js`), which never reach it. The real package is ~28 KB minified of every bundle.
 * This answers `gte` for plain `major.minor.patch` versions, so even that dead path stays correct.
 */

/** Returns whether `version` ≥ `minimum`, comparing major, minor and patch as numbers. */
export function gte(version: string, minimum: string): boolean {
  const parts = (v: string) => v.split(/[.+-]/, 3).map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}
