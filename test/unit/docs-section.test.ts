import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERFORMANCE_PAGE, withGeneratedSection } from '../bench/docs-section.ts';

const page = [
  '# Figures',
  '',
  '<!-- generated: cost (npm run bench:cost -- --docs) -->',
  '',
  '| old | table |',
  '',
  '<!-- end generated: cost -->',
  '',
  'Hand-written text after it.',
  '',
  '<!-- generated: trust (npm run bench:trust -- --docs) -->',
  '<!-- end generated: trust -->',
  '',
].join('\n');

describe('a benchmark writing its section of a docs page', () => {
  it('replaces only what lies between its own markers', () => {
    const written = withGeneratedSection(page, 'cost', '| new | table |\n');
    expect(written).toContain(
      '<!-- generated: cost (npm run bench:cost -- --docs) -->\n\n| new | table |\n\n',
    );
    expect(written).not.toContain('| old | table |');
    expect(written).toContain('Hand-written text after it.');
    expect(written).toContain(
      '<!-- generated: trust (npm run bench:trust -- --docs) -->\n<!-- end generated: trust -->',
    );
  });

  it('fills an empty section, and writing the same figures twice changes nothing', () => {
    const once = withGeneratedSection(page, 'trust', 'duplicates: 0');
    expect(once).toContain(
      '<!-- generated: trust (npm run bench:trust -- --docs) -->\n\nduplicates: 0\n\n<!-- end',
    );
    expect(withGeneratedSection(once, 'trust', 'duplicates: 0')).toBe(once);
  });

  it('keeps dollar signs in the figures as they are', () => {
    expect(withGeneratedSection(page, 'cost', 'orchestration $0.079 ($& $1)')).toContain(
      'orchestration $0.079 ($& $1)',
    );
  });

  it('refuses a page without the section, naming it', () => {
    expect(() => withGeneratedSection(page, 'scale', 'x')).toThrow('no generated section "scale"');
  });

  it('finds a place for every benchmark in docs/performance.md', () => {
    const performance = readFileSync(PERFORMANCE_PAGE, 'utf8');
    for (const name of ['bench', 'cost', 'throughput', 'scale', 'trust'])
      expect(() => withGeneratedSection(performance, name, 'x'), name).not.toThrow();
  });
});
