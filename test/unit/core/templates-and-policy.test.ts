import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { PolicySchema } from '#core/policy.ts';
import { quietRanges } from '#core/slot.ts';
import policyJson from '../../../templates/policy.json' with { type: 'json' };

describe('templates/policy.json', () => {
  const policy = loadPolicy();

  it('is a valid policy', () => {
    expect(() => PolicySchema.parse(policyJson)).not.toThrow();
    expect(policy.segments.map((s) => s.id)).toEqual([
      'business',
      'senior',
      'young-digital',
      'repeat-late-payer',
      'default',
    ]);
  });

  it('names only real time zones', () => {
    for (const zone of [policy.defaults.timezone, ...Object.values(policy.countryTimezones)]) {
      expect(IANAZone.isValidZone(zone), zone).toBe(true);
    }
  });

  it('leaves every segment time outside quiet hours on some day', () => {
    const quiet = quietRanges(policy.quietHours);
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    for (const segment of policy.segments) {
      const open = segment.windows.some((w) => {
        for (let m = minutes(w.start); m < minutes(w.end); m++) {
          if (!quiet.some(([s, e]) => m >= s && m < e)) return true;
        }
        return false;
      });
      expect(open, segment.id).toBe(true);
    }
  });

  it('says where its prices come from', () => {
    expect(policy.channelCosts.costsSource).toMatch(/indicative/i);
    expect(policy.channelCosts.costsSource).toMatch(/2026-11/);
  });

  it('has templates in every locale it lists, including the default', () => {
    const catalog = loadTemplateCatalog(defaultTemplatesDir());
    expect(policy.defaults.locales).toContain(policy.defaults.locale);
    for (const locales of Object.values(catalog.templates)) {
      for (const locale of policy.defaults.locales) expect(Object.keys(locales)).toContain(locale);
    }
  });
});
