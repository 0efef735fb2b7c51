// Imported, not read: esbuild bundles the policy into every function that needs it, and the local
// runtime reads the very same file.

import { type Policy, PolicySchema } from '#core/policy.ts';
import policyJson from '../../templates/policy.json' with { type: 'json' };

let cached: Policy | undefined;

/** Returns the communication policy from `templates/policy.json`, validated once per process. */
export function loadPolicy(): Policy {
  cached ??= PolicySchema.parse(policyJson);
  return cached;
}
