import { useEffect, useRef, useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import { ApiError, fieldErrorsOf } from '../api/api-client.ts';
import { actionFormMessages } from './action-form.messages.ts';
import { Field } from './field.tsx';
import { uiMessages } from './ui.messages.ts';
import { useDraft } from './use-draft.ts';
import { issuesOfSchema } from './validate.ts';

export interface FieldSpec {
  /** The body field it fills (dotted for nested: `byPurpose.marketing`); the server's issues name it. */
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'date' | 'datetime-local' | 'select' | 'number';
  hint?: string;
  options?: readonly { value: string; label: string }[];
  required?: boolean;
}

/**
 * One action on a customer as a form: it keeps what is typed across an ended session, checks the body
 * with the API's schema, shows the server's field errors beside the field and its plain refusal
 * (403) above the form, asks first when `confirm` says the action cannot be undone.
 */
export function ActionForm({
  id,
  title,
  fields,
  submitLabel,
  schema,
  toBody,
  submit,
  confirm,
  onDone,
  danger,
}: {
  /** Unique per form and customer: the key its draft is kept under. */
  id: string;
  title: string;
  fields: readonly FieldSpec[];
  submitLabel: string;
  schema?: z.ZodMiniType;
  toBody(values: Record<string, string>): unknown;
  submit(body: unknown): Promise<unknown>;
  /** The question asked before an action that cannot be undone. */
  confirm?: string;
  onDone(): void;
  danger?: boolean;
}) {
  const t = actionFormMessages.useT();
  const ui = uiMessages.useT();
  const initial = useRef(
    Object.fromEntries(fields.map((f) => [f.name, f.options?.[0]?.value ?? ''])),
  ).current;
  const [values, update, clear] = useDraft<Record<string, string>>(id, initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string>();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The question takes the focus, so a keyboard user answers it next.
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);
  const names = fields.map((f) => f.name);
  const domId = (name: string) => `${id}-${name}`.replace(/[^\w-]/g, '-');

  function check(): unknown | undefined {
    const body = toBody(values);
    const required = fields
      .filter((f) => f.required && !values[f.name]?.trim())
      .map((f) => ({ path: f.name, message: ui('required') }));
    // An empty required field says so once, not also in the schema's words.
    const missing = fieldErrorsOf(required, names);
    const issues = fieldErrorsOf(schema ? issuesOfSchema(schema, body) : [], names);
    const all = { ...issues, ...missing };
    setErrors(all);
    setRefusal(all[''] ? all[''] : undefined);
    return Object.keys(all).length === 0 ? body : undefined;
  }

  async function send(body: unknown) {
    setBusy(true);
    setAsking(false);
    try {
      await submit(body);
      clear();
      setErrors({});
      setDone(true);
      onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) return; // The session ended: sign-in takes over; the draft is kept.
      const fieldErrors = fieldErrorsOf(error.issues, names);
      setErrors(fieldErrors);
      setRefusal(
        error.status === 403
          ? t('notAllowed', { message: error.message })
          : fieldErrors['']
            ? t('failed', { message: fieldErrors[''] })
            : Object.keys(fieldErrors).length > 0
              ? t('fixFields')
              : t('failed', { message: error.message }),
      );
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: Event) {
    event.preventDefault();
    setDone(false);
    const body = check();
    if (body === undefined) return;
    if (confirm) setAsking(true);
    else void send(body);
  }

  return (
    <form class="action-form" id={id} onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {refusal ? (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      ) : null}
      {fields.map((field) => (
        <Field
          key={field.name}
          id={domId(field.name)}
          label={field.label}
          {...(field.hint ? { hint: field.hint } : {})}
          error={errors[field.name]}
        >
          {(describedBy, invalid) => {
            const common = {
              id: domId(field.name),
              name: field.name,
              'aria-describedby': describedBy,
              'aria-invalid': invalid,
              required: field.required,
            };
            const value = values[field.name] ?? '';
            if (field.type === 'select') {
              return (
                <select
                  {...common}
                  value={value}
                  onChange={(e) => update({ [field.name]: e.currentTarget.value })}
                >
                  {(field.options ?? []).map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              );
            }
            if (field.type === 'textarea') {
              return (
                <textarea
                  {...common}
                  rows={3}
                  value={value}
                  onInput={(e) => update({ [field.name]: e.currentTarget.value })}
                />
              );
            }
            return (
              <input
                {...common}
                type={field.type}
                value={value}
                onInput={(e) => update({ [field.name]: e.currentTarget.value })}
              />
            );
          }}
        </Field>
      ))}
      {asking ? (
        <div class="confirm" role="alertdialog" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>
            <strong>{t('confirmTitle')}</strong> {confirm}
          </p>
          <div class="button-row">
            <button
              type="button"
              class="danger"
              ref={confirmButton}
              onClick={() => void send(toBody(values))}
            >
              {ui('confirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>
              {ui('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="button-row">
          <button type="submit" class={danger ? 'danger' : undefined} disabled={busy}>
            {busy ? ui('saving') : submitLabel}
          </button>
          {done ? (
            <span class="done" role="status">
              {t('done')}
            </span>
          ) : null}
        </div>
      )}
    </form>
  );
}
