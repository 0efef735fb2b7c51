import { describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { renderSample } from '#application/templates/samples.ts';
import { checkMessage } from '#core/content-check.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());

describe('the payment reminder’s call scripts', () => {
  for (const locale of ['nl', 'en']) {
    for (const tone of ['friendly', 'firm', 'direct']) {
      it(`${locale} ${tone}: renders from the blocks with the invoice, the outcomes to record, and nothing left of Liquid`, () => {
        const { message } = renderSample(
          catalog,
          { templateId: 'payment-reminder', channel: 'phone', locale, tone },
          'nl',
        );
        expect(message.channel).toBe('phone');
        expect(checkMessage(message, { smsMaxSegments: 1 }).problems).toEqual([]);
        // The amount-due block names the invoice; the agent records the outcomes the API takes.
        expect(message.text).toMatch(/INV-|F-|\d{4}/);
        expect(message.text).toContain('promise-to-pay');
        expect(message.text).toContain('dispute');
      });
    }
  }
});
