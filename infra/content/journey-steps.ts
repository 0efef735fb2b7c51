import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journeys } from '#catalog/catalog.ts';
import { NOTICE_CHANNELS } from '#core/collection-rule.ts';
import { ChannelSchema } from '#core/customer.ts';
import { type JourneyStep, JourneyStepSchema } from '#core/journey-step.ts';
import { MessageStepConfigSchema } from '#core/journey-step-run.ts';
import { repoRoot } from '../constructs/repo-root.ts';

export interface JourneyStepInFile {
  /** The ASL file, from the repository root. */
  file: string;
  /** The Task state that carries the step (`FirstReminder`). */
  state: string;
  /** `armVariants`: the text variants the arms of the step's experiment name (content must exist for them too). */
  step: JourneyStep & { armVariants?: string[] };
}

/**
 * Returns the step with fields chosen at run time widened to everything they could be: a fallback
 * step's `channels.$` (the channel the delivery outcome names) may be any channel, a `tone.$` any
 * tone (no `tone` means the segment's, i.e. any). Content must exist for all of them. A template
 * id chosen at run time cannot be validated: that throws.
 */
function widened(step: Record<string, unknown>, where: string): Record<string, unknown> {
  const literal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) {
    if (RUN_STEP_FIELDS.has(key)) continue;
    if (!key.endsWith('.$')) literal[key] = value;
    else if (key === 'channels.$') literal.channels = [...ChannelSchema.options];
    // Moments and identity chosen at run time do not change which content the step can pick.
    else if (!['tone.$', 'notBefore.$', 'notAfter.$', 'occurrence.$'].includes(key))
      throw new Error(
        `${where}: step field ${key} is chosen at run time; content validation needs it literal`,
      );
  }
  return literal;
}

/** run-journey-step's own step fields (`#core/journey-step-run.ts`): no bearing on the content. */
const RUN_STEP_FIELDS = new Set(
  Object.keys(MessageStepConfigSchema.shape).filter((key) => !(key in JourneyStepSchema.shape)),
);

export interface AslStates {
  States?: Record<string, AslState>;
}
interface AslState {
  Type?: string;
  Parameters?: { Payload?: { step?: unknown; journeyId?: unknown } };
  Branches?: AslStates[];
  Iterator?: AslStates;
  ItemProcessor?: AslStates;
}

/** Returns every state of a definition, nested Parallel branches and Map processors included. */
export function statesOf(definition: AslStates): Array<[string, AslState]> {
  return Object.entries(definition.States ?? {}).flatMap(
    ([name, state]): Array<[string, AslState]> => [
      [name, state],
      ...(state.Branches ?? []).flatMap(statesOf),
      ...(state.Iterator ? statesOf(state.Iterator) : []),
      ...(state.ItemProcessor ? statesOf(state.ItemProcessor) : []),
    ],
  );
}

/**
 * Returns the journey steps written literally in the journeys' ASL files (the `step` object of a
 * Task's `Parameters.Payload`, as run-journey-step receives it), so content is validated against
 * exactly what the journeys will ask for. Throws naming the file and state on an invalid step.
 */
export async function journeyStepsOf(
  files: readonly string[] = journeys.map((j) => j.definitionFile),
  root: string = repoRoot,
): Promise<JourneyStepInFile[]> {
  const found: JourneyStepInFile[] = [];
  for (const file of files) {
    const definition = JSON.parse(await readFile(join(root, file), 'utf8')) as AslStates;
    for (const [state, body] of statesOf(definition)) {
      const step = body.Type === 'Task' ? body.Parameters?.Payload?.step : undefined;
      if (step === undefined || step === null || typeof step !== 'object') continue;
      const where = `${file}: state ${state}`;
      // A run-journey-step hand-over step sends nothing; its message steps name no journeyId (the
      // Task's input carries it), and a follow-up or refusal may take any of the step's channels.
      // A read check (`readCheck`) re-visits the step before it with the same content: counted once.
      if (step === null || 'handOver' in step || 'readCheck' in step) continue;
      const payload = body.Parameters?.Payload as { journeyId?: unknown } | undefined;
      const withJourney =
        'journeyId' in step || typeof payload?.journeyId !== 'string'
          ? step
          : { ...step, journeyId: payload.journeyId };
      const parsed = JourneyStepSchema.safeParse(widened(withJourney as Record<string, unknown>, where));
      if (!parsed.success) throw new Error(`${where}: invalid step: ${parsed.error.message}`);
      found.push({ file, state, step: { ...parsed.data, ...armVariantsOf(step) } });
      const notice = collectionNoticeOf(step);
      // The fourteen-day notice the step sends instead for a customer a collection rule covers.
      if (notice)
        found.push({
          file,
          state,
          step: { ...parsed.data, templateId: notice, channels: [...NOTICE_CHANNELS] },
        });
    }
  }
  return found;
}

/** Returns the template of a step's fourteen-day notice (`collectionNotice`), when it has one. */
function collectionNoticeOf(step: object): string | undefined {
  const notice = (step as { collectionNotice?: { templateId?: unknown } }).collectionNotice;
  return typeof notice?.templateId === 'string' ? notice.templateId : undefined;
}

/** Returns the text variants the arms of a step's experiment name, when it names any. */
function armVariantsOf(step: object): { armVariants?: string[] } {
  const arms = (step as { experiment?: { arms?: unknown } }).experiment?.arms;
  if (!Array.isArray(arms)) return {};
  const variants = arms.flatMap((arm) =>
    typeof arm === 'object' && arm !== null && typeof arm.variant === 'string' ? [arm.variant as string] : [],
  );
  return variants.length > 0 ? { armVariants: [...new Set(variants)] } : {};
}
