/**
 * JSON text laid out as the repository's hand-written JSON is (biome keeps an object on several lines
 * when its source does): objects on their own lines, except small flat objects inside arrays
 * (an experiment's arms), which stay on one line as people write them.
 */
const LINE_WIDTH = 110;

export function jsonText(value: unknown): string {
  return `${write(value, '', false)}\n`;
}

function write(value: unknown, indent: string, inArray: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + write(item, inner, true)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    if (inArray && entries.every(([, v]) => v === null || typeof v !== 'object')) {
      const flat = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
      if (indent.length + flat.length <= LINE_WIDTH) return flat;
    }
    const inner = `${indent}  `;
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner, false)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
