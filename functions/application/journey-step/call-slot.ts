/**
 * When the contact centre calls for a step: the first moment from now inside its opening hours in an
 * hour with room (`#core/call-planning.ts`), the hour taken from its capacity once per send key. A full
 * hour found only at the reservation (another step took the last place) is planned around again; a
 * step retried after its call was reserved keeps that call.
 */
import { CALL_HORIZON_HOURS, planCall } from '#core/call-planning.ts';
import type { ContactCentre } from '#core/policy.ts';
import type { CallCapacity } from '#core/ports.ts';
import type { Reason } from '#core/reasons.ts';

/**
 * Returns when to call with the reasons, or null when no open hour has room within the horizon.
 * `key` is the step's send key: the same on every attempt of the step.
 */
export async function reserveCallSlot(
  capacity: CallCapacity,
  centre: ContactCentre,
  now: Date,
  key: string,
): Promise<{ callAt: string; reasons: Reason[] } | null> {
  const full = new Set<string>();
  for (let tries = 0; tries < CALL_HORIZON_HOURS; tries++) {
    const planned = planCall({
      earliestMs: now.getTime(),
      centre,
      booked: (hour) => (full.has(hour) ? centre.callsPerHour : 0),
    });
    if (!planned) return null;
    const callAt = new Date(planned.callAtMs).toISOString();
    const reserved = await capacity.tryReserve(planned.hour, centre.callsPerHour, { key, callAt });
    // The hours found full at the reservation are in the plan's reasons (`booked` counts them full).
    if (reserved === callAt) return { callAt, reasons: planned.reasons };
    if (reserved !== null) return { callAt: reserved, reasons: [`call planned before: ${reserved}`] };
    full.add(planned.hour);
  }
  return null;
}
