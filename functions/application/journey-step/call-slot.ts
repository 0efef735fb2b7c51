/**
 * When the contact centre calls for a step: the first moment from now inside its opening hours in an
 * hour with room (`#core/call-planning.ts`), the hour taken from its capacity. A full hour found
 * only at the reservation (another step took the last place) is planned around again.
 */
import { CALL_HORIZON_HOURS, planCall } from '#core/call-planning.ts';
import type { ContactCentre } from '#core/policy.ts';
import type { CallCapacity } from '#core/ports.ts';
import type { Reason } from '#core/reasons.ts';

/** Returns when to call with the reasons, or null when no open hour has room within the horizon. */
export async function reserveCallSlot(
  capacity: CallCapacity,
  centre: ContactCentre,
  now: Date,
): Promise<{ callAt: string; reasons: Reason[] } | null> {
  const full = new Set<string>();
  for (let tries = 0; tries < CALL_HORIZON_HOURS; tries++) {
    const planned = planCall({
      earliestMs: now.getTime(),
      centre,
      booked: (hour) => (full.has(hour) ? centre.callsPerHour : 0),
    });
    if (!planned) return null;
    if (await capacity.tryReserve(planned.hour, centre.callsPerHour)) {
      const skipped =
        full.size > 0 ? [`contact centre full for ${full.size} open hour(s): next hour with room`] : [];
      return { callAt: new Date(planned.callAtMs).toISOString(), reasons: [...skipped, ...planned.reasons] };
    }
    full.add(planned.hour);
  }
  return null;
}
