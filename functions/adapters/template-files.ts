import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tone, ToneSchema } from '#core/policy.ts';
import { checkCatalog, type TemplateCatalog, type ToneTemplates } from '#core/render.ts';

/**
 * Layout (templates/README.md): `<templateId>/<locale>/<tone>/<file>` with the files
 * `email.subject.liquid`, `email.html.liquid`, `email.text.liquid` (all three, or none) and `sms.liquid`.
 * Files at the top level (policy.json, README.md) are not templates.
 */
const EMAIL_FILES = ['email.subject.liquid', 'email.html.liquid', 'email.text.liquid'] as const;
const SMS_FILE = 'sms.liquid';
const KNOWN_FILES = new Set<string>([...EMAIL_FILES, SMS_FILE]);
const TEMPLATE_ID = /^[a-z][a-z0-9-]*$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const catalogs = new Map<string, TemplateCatalog>();

/** Returns the templates folder: TEMPLATES_DIR, else the Lambda task root's, else the repository's. */
export function defaultTemplatesDir(): string {
  if (process.env.TEMPLATES_DIR) return process.env.TEMPLATES_DIR;
  if (process.env.LAMBDA_TASK_ROOT) return join(process.env.LAMBDA_TASK_ROOT, 'templates');
  return fileURLToPath(new URL('../../templates', import.meta.url));
}

function directoriesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
}

function fail(root: string, path: string, problem: string): never {
  throw new Error(`templates: ${relative(root, path) || '.'}: ${problem}`);
}

/** Returns one tone folder's templates, or throws naming the offending file. */
function readToneDir(root: string, dir: string): ToneTemplates {
  const files = readdirSync(dir);
  for (const file of files) {
    if (!KNOWN_FILES.has(file)) {
      fail(root, join(dir, file), `unknown file, expected one of ${[...KNOWN_FILES].join(', ')}`);
    }
  }
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const tone: ToneTemplates = {};
  const emailFiles = EMAIL_FILES.filter((f) => files.includes(f));
  if (emailFiles.length > 0) {
    const missing = EMAIL_FILES.find((f) => !files.includes(f));
    if (missing) fail(root, join(dir, missing), 'missing: an email needs a subject, an html and a text part');
    tone.email = {
      subject: read('email.subject.liquid'),
      html: read('email.html.liquid'),
      text: read('email.text.liquid'),
    };
  }
  if (files.includes(SMS_FILE)) tone.sms = { text: read(SMS_FILE) };
  if (!tone.email && !tone.sms) fail(root, dir, 'no templates in this tone folder');
  return tone;
}

/** Returns the catalog read from `dir` once per process; throws naming the file on a layout or Liquid error. */
export function loadTemplateCatalog(dir: string): TemplateCatalog {
  const known = catalogs.get(dir);
  if (known) return known;
  if (!existsSync(dir)) throw new Error(`templates: folder ${dir} does not exist`);

  const catalog: TemplateCatalog = { templates: {} };
  for (const templateId of directoriesIn(dir)) {
    const templateDir = join(dir, templateId);
    if (!TEMPLATE_ID.test(templateId)) fail(dir, templateDir, 'template ids are lower-case kebab-case');
    const locales: TemplateCatalog['templates'][string] = {};
    for (const locale of directoriesIn(templateDir)) {
      const localeDir = join(templateDir, locale);
      if (!LOCALE.test(locale)) fail(dir, localeDir, 'not a locale such as nl or nl-BE');
      const tones: Partial<Record<Tone, ToneTemplates>> = {};
      for (const tone of readdirSync(localeDir)) {
        const toneDir = join(localeDir, tone);
        const parsed = ToneSchema.safeParse(tone);
        if (!parsed.success || !statSync(toneDir).isDirectory()) {
          fail(dir, toneDir, `expected a tone folder: ${ToneSchema.options.join(' or ')}`);
        }
        tones[parsed.data] = readToneDir(dir, toneDir);
      }
      // The renderer falls back to friendly, so every locale must have it.
      if (!tones.friendly)
        fail(dir, join(localeDir, 'friendly'), 'missing: every locale needs a friendly tone');
      locales[locale] = tones;
    }
    if (Object.keys(locales).length === 0) fail(dir, templateDir, 'no locale folders');
    catalog.templates[templateId] = locales;
  }

  try {
    checkCatalog(catalog);
  } catch (error) {
    // The renderer names a part "template payment-reminder/nl/firm/email.html: …": turn it into its file.
    const message = (error as Error).message.replace(/^template (\S+): /, '$1.liquid: ');
    throw new Error(`templates: ${message}`, { cause: error });
  }
  catalogs.set(dir, catalog);
  return catalog;
}
