import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { type PolicyInput, PolicySchema } from '#core/policy.ts';
import { renderMessage, type TemplateCatalog } from '#core/render.ts';
import { optOutText, smsOptOutFor } from '#core/sms-opt-out.ts';
import { validatePolicy } from '#infra/content/validate-policy.ts';

const shipped = loadPolicy();
const withOptOut = (smsOptOut: PolicyInput['smsOptOut']) => PolicySchema.parse({ ...shipped, smsOptOut });

describe('the SMS opt-out form', () => {
  it('is reply STOP only where the policy asks it for the country and the sender takes replies', () => {
    const policy = withOptOut({ default: 'link', byCountry: { NL: 'reply-stop' } });
    expect(smsOptOutFor(policy, 'NL', true)).toEqual({
      form: 'reply-stop',
      reason: 'sms opt-out: reply STOP (policy for NL, two-way sender)',
    });
    // A STOP nobody reads would opt nobody out: a one-way sender always gets the link.
    expect(smsOptOutFor(policy, 'NL', false)).toEqual({
      form: 'link',
      reason: 'sms opt-out: link (the policy asks reply STOP for NL, the sender takes no replies)',
    });
    expect(smsOptOutFor(policy, 'DE', true)).toEqual({ form: 'link', reason: 'sms opt-out: link' });
    expect(smsOptOutFor(withOptOut({ default: 'reply-stop' }), 'DE', true).form).toBe('reply-stop');
    // Without the setting every SMS carries the link.
    expect(smsOptOutFor(withOptOut(undefined), 'NL', true).form).toBe('link');
  });

  it('reads in the text’s language, English for another', () => {
    const link = 'https://klnt.example/s/abcdefghijkl';
    expect(optOutText('reply-stop', 'nl', link)).toBe('Stop? Antwoord STOP');
    expect(optOutText('link', 'nl', link)).toBe(`Stop sms: ${link}`);
    expect(optOutText('reply-stop', 'en', link)).toBe('Reply STOP to opt out');
    expect(optOutText('link', 'de', link)).toBe(`Stop SMS: ${link}`);
  });

  it('is refused in the policy when misspelt, naming the nearest valid value or key', () => {
    const json = (smsOptOut: unknown) => validatePolicy({ ...shipped, smsOptOut }).map((i) => i.message);
    expect(json({ default: 'link', byCountry: { NL: 'reply-stop' } })).toEqual([]);
    expect(json({ default: 'stop' }).join()).toMatch(/link|reply-stop/);
    expect(json({ default: 'link', byCountri: {} }).join()).toContain('did you mean "byCountry"?');
  });

  it('is rendered as {{ optOut }} in the SMS only, in the language of the text', () => {
    const catalog: TemplateCatalog = {
      templates: {
        note: {
          nl: { friendly: { sms: { text: 'Betaal nu. {{ optOut }}' } } },
          en: { friendly: { sms: { text: 'Pay now. {{ optOut }}' } } },
        },
      },
    };
    const sms = (locale: string, smsOptOut?: 'link' | 'reply-stop') =>
      renderMessage({
        catalog,
        templateId: 'note',
        channel: 'sms',
        locale,
        tone: 'friendly',
        data: { links: { unsubscribe: 'https://klnt.example/s/abcdefghijkl' } },
        defaultLocale: 'nl',
        ...(smsOptOut ? { smsOptOut } : {}),
      }).message.text;
    expect(sms('nl-NL')).toBe('Betaal nu. Stop sms: https://klnt.example/s/abcdefghijkl');
    expect(sms('nl-BE', 'reply-stop')).toBe('Betaal nu. Stop? Antwoord STOP');
    expect(sms('en-GB', 'reply-stop')).toBe('Pay now. Reply STOP to opt out');
  });
});
