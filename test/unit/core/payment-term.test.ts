import { describe, expect, it } from 'vitest';
import { agreedToElectronicNotices, collectionNoticeOf, collectionRuleFor } from '#core/collection-rule.ts';
import { paymentTermOf } from '#core/payment-term.ts';
import { type CollectionRule, CollectionRuleSchema } from '#core/policy.ts';
import { dayOfIsoDate, dutchNonTermDay } from '#core/statutory-term-days.ts';

const nonTermDay = (day: number) => dutchNonTermDay(day, ['2026-05-15']);
const term = (receivedOn: string) => paymentTermOf({ receivedOn, termDays: 14, nonTermDay });
const on = (isoDate: string) => dutchNonTermDay(dayOfIsoDate(isoDate));

const rule: CollectionRule = CollectionRuleSchema.parse({
  statutoryScale: 'nl-bik',
  vatOnCosts: false,
  termDays: 14,
  termCalendar: 'nl-atw',
  businessIf: { attributes: { segmentHint: 'business' } },
});

describe('the fourteen-day term (art. 6:96 lid 6 BW; HR 25 November 2016, ECLI:NL:HR:2016:2704)', () => {
  it('starts the day after receipt and ends fourteen days later', () => {
    expect(term('2026-12-07')).toEqual({
      receivedOn: '2026-12-07',
      firstDay: '2026-12-08',
      lastDay: '2026-12-21',
      reasons: [],
    });
  });

  it('runs on past a weekend to the Monday (Algemene termijnenwet art. 1)', () => {
    // Received Saturday 5 December: the fourteenth day is Saturday the 19th.
    expect(term('2026-12-05')).toMatchObject({ firstDay: '2026-12-06', lastDay: '2026-12-21' });
    expect(term('2026-12-05').reasons).toEqual([
      'last day moved past 2026-12-19: Saturday, 2026-12-20: Sunday (Algemene termijnenwet art. 1)',
    ]);
  });

  it('runs on past Christmas and the weekend after it', () => {
    expect(term('2026-12-11')).toMatchObject({ lastDay: '2026-12-28' });
    expect(term('2026-12-11').reasons[0]).toContain('2026-12-25: Christmas Day');
  });

  it('runs on past Good Friday, the Easter weekend and Easter Monday', () => {
    expect(term('2026-03-20')).toMatchObject({ lastDay: '2026-04-07' });
  });

  it('runs on past a day the policy lists as equated with a holiday (Atw art. 3 lid 3)', () => {
    // Ascension Day is Thursday 14 May 2026; the Friday after it is listed as equated.
    expect(term('2026-04-30')).toMatchObject({ lastDay: '2026-05-18' });
    expect(
      paymentTermOf({ receivedOn: '2026-05-01', termDays: 14, nonTermDay: (d) => dutchNonTermDay(d) }),
    ).toMatchObject({ lastDay: '2026-05-15' });
  });

  it('gives longer terms as the policy asks', () => {
    expect(paymentTermOf({ receivedOn: '2026-12-07', termDays: 21, nonTermDay })).toMatchObject({
      lastDay: '2026-12-28',
    });
  });
});

describe('the days a Dutch statutory term may not end on (Atw art. 3)', () => {
  it('names the recognised holidays, Good Friday included, and King’s Day on the 26th when the 27th is a Sunday', () => {
    expect(on('2027-01-01')).toBe("New Year's Day");
    expect(on('2026-04-03')).toBe('Good Friday');
    expect(on('2026-04-06')).toBe('Easter Monday');
    expect(on('2026-04-27')).toBe("King's Day");
    expect(on('2025-04-26')).toBe('Saturday');
    expect(on('2026-05-05')).toBe('Liberation Day (5 May)');
    expect(on('2026-05-14')).toBe('Ascension Day');
    expect(on('2026-05-25')).toBe('Whit Monday');
    expect(on('2026-12-25')).toBe('Christmas Day');
    expect(on('2026-12-26')).toBe('Saturday');
    expect(on('2028-12-26')).toBe('Second Day of Christmas');
    expect(on('2026-12-08')).toBeNull();
    expect(on('2026-05-15')).toBeNull();
  });
});

describe('who gets the notice', () => {
  const policy = { collection: { NL: rule } };
  it('a Dutch consumer with a euro invoice; not a business, not another country, not another currency', () => {
    expect(collectionRuleFor(policy, { country: 'NL' }, 'EUR').rule).toBe(rule);
    expect(
      collectionRuleFor(policy, { country: 'NL', attributes: { segmentHint: 'consumer' } }, 'EUR').rule,
    ).toBe(rule);
    expect(
      collectionRuleFor(policy, { country: 'NL', attributes: { segmentHint: 'business' } }, 'EUR'),
    ).toEqual({
      rule: null,
      reason: 'business customer: no NL consumer notice',
    });
    expect(collectionRuleFor(policy, { country: 'BE' }, 'EUR')).toEqual({
      rule: null,
      reason: 'no collection rule for BE',
    });
    expect(collectionRuleFor(policy, { country: 'NL' }, 'USD').rule).toBeNull();
    expect(collectionRuleFor({}, { country: 'NL' }, 'EUR').rule).toBeNull();
  });

  it('by email only with an agreement date on the profile', () => {
    expect(agreedToElectronicNotices({ attributes: { electronicNoticesAgreedAt: '2026-03-01' } })).toBe(true);
    expect(
      agreedToElectronicNotices({ attributes: { electronicNoticesAgreedAt: '2026-03-01T10:00:00Z' } }),
    ).toBe(true);
    expect(agreedToElectronicNotices({ attributes: { electronicNoticesAgreedAt: true } })).toBe(false);
    expect(agreedToElectronicNotices({ attributes: { electronicNoticesAgreedAt: 'yes' } })).toBe(false);
    expect(agreedToElectronicNotices({})).toBe(false);
  });

  it('states the scale’s costs (with VAT when the rule adds it) and the term', () => {
    expect(collectionNoticeOf(rule, '125.50', '2026-12-07')).toEqual({
      costs: { costs: '40.00', vat: '0.00', total: '40.00' },
      term: { receivedOn: '2026-12-07', firstDay: '2026-12-08', lastDay: '2026-12-21', reasons: [] },
    });
    expect(collectionNoticeOf({ ...rule, vatOnCosts: true }, '125.50', '2026-12-07').costs.total).toBe(
      '48.40',
    );
  });

  it('refuses a term shorter than the law’s fourteen days', () => {
    expect(CollectionRuleSchema.safeParse({ ...rule, termDays: 10 }).success).toBe(false);
  });
});
