/**
 * The journey definition's JSON Schema (`statemachines/journey.schema.json`), for completion and checks
 * in editors: the definition's own schema, with each step's `config` described by the schemas the
 * journey step parses it with (a message step or a hand-over), so editors know the step's keys too.
 */
import * as z from 'zod/mini';
import { HandOverStepConfigSchema, MessageStepConfigSchema } from '#core/journey-step-run.ts';
import { journeyDefinitionSchema } from './journey-definition.ts';

/** A key ending in `.$` takes its value from the state's input at run time (`"notAfter.$": "$.subject.remindBy"`). */
const RUN_TIME_KEY = '\\.\\$$';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; items?: JsonSchema };

export function journeyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(journeyDefinitionSchema, { io: 'input' }) as JsonSchema;
  const stepProperties = schema.properties?.steps?.items?.properties;
  const config = stepProperties?.config;
  if (!stepProperties || !config) throw new Error('the journey definition schema has no steps[].config');
  const { $schema: _, ...stepConfig } = z.toJSONSchema(
    z.union([MessageStepConfigSchema, HandOverStepConfigSchema]),
    {
      io: 'input',
      unrepresentable: 'any',
    },
  ) as JsonSchema & { anyOf: JsonSchema[] };
  const withRunTimeKeys = stepConfig.anyOf.map((option) => ({
    ...option,
    patternProperties: { [RUN_TIME_KEY]: {} },
  }));
  stepProperties.config = {
    description: config.description,
    anyOf: withRunTimeKeys,
  };
  return { ...schema, title: 'Klantreis journey definition (statemachines/<id>.journey.json)' };
}
