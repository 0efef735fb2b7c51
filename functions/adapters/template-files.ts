import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { type TextVariant, TextVariantSchema } from '#core/policy.ts';
import { checkCatalog, type TemplateCatalog, type ToneTemplates } from '#core/render.ts';
import { type TemplateInfo, TemplateInfoSchema } from '#core/template-info.ts';
import { subjects } from '#subjects/registry.ts';

/**
 * Layout (templates/README.md):
 *
 *   <templateId>/template.json                  description, SMS limit, sample data
 *   <templateId>/<locale>/blocks/<name>.liquid  blocks shared by the locale's variants
 *   <templateId>/<locale>/<variant>/            a tone (friendly, firm) or a named text variant (direct):
 *                                               email.subject.liquid, email.mjml, email.text.liquid,
 *                                               sms.liquid, sms.short.liquid, call.liquid, letter.liquid,
 *                                               blocks/<name>.liquid
 *
 * The source folder (`templates/`) holds `email.mjml`; the compiled folder (`npm run templates`,
 * and the Lambda bundle) holds the same tree with `email.html.liquid` instead: MJML is compiled at
 * build time, never per send, and never shipped to Lambda. This module reads a compiled folder.
 * Files at the top level (policy.json, README.md) are not templates.
 */
export const EMAIL_SOURCE_FILE = 'email.mjml';
const EMAIL_FILES = ['email.subject.liquid', 'email.html.liquid', 'email.text.liquid'] as const;
const SMS_FILE = 'sms.liquid';
/** The short form of the SMS, rendered when the customer's data takes the normal one over its limit. */
const SHORT_SMS_FILE = 'sms.short.liquid';
/** The script a contact-centre agent reads when the step calls the customer. */
const CALL_FILE = 'call.liquid';
/** A letter's own body, under the email's subject; without it a letter is the email's text. */
const LETTER_FILE = 'letter.liquid';
const KNOWN_FILES = new Set<string>([...EMAIL_FILES, SMS_FILE, SHORT_SMS_FILE, CALL_FILE, LETTER_FILE]);
const BLOCKS_DIR = 'blocks';
const INFO_FILE = 'template.json';
const TEMPLATE_ID = /^[a-z][a-z0-9-]*$/;
const BLOCK_FILE = /^([a-z][a-z0-9-]*)\.liquid$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** Written by the compiler next to the compiled templates: the hash of the sources they came from. */
export const SOURCE_HASH_FILE = '.source-hash';

const catalogs = new Map<string, TemplateCatalog>();

const repoPath = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Returns the repository's template sources (`templates/`), which the communication team edits. */
export function sourceTemplatesDir(): string {
  return repoPath('templates');
}

/** Returns where `npm run templates` writes the compiled templates in a checkout (git-ignored). */
export function compiledTemplatesDir(): string {
  return repoPath('.local/templates');
}

/** Returns the compiled templates folder: TEMPLATES_DIR, else the Lambda task root's, else the checkout's. */
export function defaultTemplatesDir(): string {
  if (process.env.TEMPLATES_DIR) return process.env.TEMPLATES_DIR;
  if (process.env.LAMBDA_TASK_ROOT) return join(process.env.LAMBDA_TASK_ROOT, 'templates');
  return compiledTemplatesDir();
}

function directoriesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Returns every file under `dir`, as sorted paths relative to it. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/**
 * Returns a hash of every file in the template folders of `dir` (not the top-level files such as
 * policy.json): the compiler records it, the loader compares it, so stale compiled templates fail
 * loudly instead of sending yesterday's text.
 */
export function sourceHashOf(dir: string): string {
  const hash = createHash('sha256');
  for (const templateId of directoriesIn(dir)) {
    for (const path of filesUnder(join(dir, templateId))) {
      hash
        .update(`${templateId}/${path}\0`)
        .update(readFileSync(join(dir, templateId, path)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

function fail(root: string, path: string, problem: string): never {
  throw new Error(`templates: ${relative(root, path) || '.'}: ${problem}`);
}

/** Returns the blocks of a `blocks/` folder (none when it is absent), or throws naming a bad file. */
function readBlocks(root: string, dir: string): Record<string, string> {
  const blocksDir = join(dir, BLOCKS_DIR);
  if (!existsSync(blocksDir)) return {};
  const blocks: Record<string, string> = {};
  for (const file of readdirSync(blocksDir).sort()) {
    const name = BLOCK_FILE.exec(file)?.[1];
    if (!name) fail(root, join(blocksDir, file), 'a block is a kebab-case <name>.liquid file');
    blocks[name] = readFileSync(join(blocksDir, file), 'utf8');
  }
  return blocks;
}

/** Returns one tone folder's templates with the locale's blocks merged in, or throws naming the offending file. */
function readToneDir(root: string, dir: string, localeBlocks: Record<string, string>): ToneTemplates {
  const files = readdirSync(dir).filter((name) => name !== BLOCKS_DIR);
  for (const file of files) {
    if (file === EMAIL_SOURCE_FILE) {
      fail(root, join(dir, file), 'not compiled: load the compiled templates (npm run templates)');
    }
    if (!KNOWN_FILES.has(file)) {
      fail(
        root,
        join(dir, file),
        `unknown file, expected one of ${[...KNOWN_FILES].join(', ')} or a blocks/ folder`,
      );
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
  if (files.includes(SHORT_SMS_FILE) && !files.includes(SMS_FILE)) {
    fail(root, join(dir, SHORT_SMS_FILE), `a short SMS text needs its normal text beside it (${SMS_FILE})`);
  }
  if (files.includes(SMS_FILE)) {
    tone.sms = {
      text: read(SMS_FILE),
      ...(files.includes(SHORT_SMS_FILE) ? { short: read(SHORT_SMS_FILE) } : {}),
    };
  }
  if (files.includes(CALL_FILE)) tone.call = { text: read(CALL_FILE) };
  if (files.includes(LETTER_FILE)) {
    if (!tone.email) {
      fail(
        root,
        join(dir, LETTER_FILE),
        "a letter text needs the email beside it: its subject is the letter's",
      );
    }
    tone.letter = { text: read(LETTER_FILE) };
  }
  if (!tone.email && !tone.sms && !tone.call) fail(root, dir, 'no templates in this tone folder');
  const blocks = { ...localeBlocks, ...readBlocks(root, dir) };
  if (Object.keys(blocks).length > 0) tone.blocks = blocks;
  return tone;
}

/** `template.json`, its sample's subject strictly as its subject type declares it. */
const TemplateInfoFileSchema = z.extend(TemplateInfoSchema, {
  sample: z.extend(TemplateInfoSchema.shape.sample, { subject: subjects.schema }),
});

function readInfo(root: string, templateDir: string): TemplateInfo {
  const path = join(templateDir, INFO_FILE);
  if (!existsSync(path)) fail(root, path, 'missing: every template needs a description and sample data');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(root, path, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = TemplateInfoFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    fail(root, path, issues.join('; '));
  }
  return parsed.data;
}

/** Throws when the compiled templates in `dir` are missing or not compiled from `sources` as they are now. */
export function assertCompiledFrom(dir: string, sources: string): void {
  const hashFile = join(dir, SOURCE_HASH_FILE);
  const hint = 'run `npm run templates` (npm test, npm start and cdk synth do it for you)';
  if (!existsSync(hashFile)) throw new Error(`templates: ${dir} holds no compiled templates: ${hint}`);
  if (readFileSync(hashFile, 'utf8').trim() !== sourceHashOf(sources)) {
    throw new Error(`templates: the compiled templates in ${dir} are older than templates/: ${hint}`);
  }
}

/** Returns the catalog read from `dir` once per process; throws naming the file on a layout or Liquid error. */
export function loadTemplateCatalog(dir: string): TemplateCatalog {
  const known = catalogs.get(dir);
  if (known) return known;
  // In a checkout, stale compiled templates would send yesterday's text: refuse them.
  if (dir === compiledTemplatesDir()) assertCompiledFrom(dir, sourceTemplatesDir());
  if (!existsSync(dir)) throw new Error(`templates: folder ${dir} does not exist`);

  const catalog: TemplateCatalog = { templates: {}, info: {} };
  for (const templateId of directoriesIn(dir)) {
    const templateDir = join(dir, templateId);
    if (!TEMPLATE_ID.test(templateId)) fail(dir, templateDir, 'template ids are lower-case kebab-case');
    const info = readInfo(dir, templateDir);
    const locales: TemplateCatalog['templates'][string] = {};
    for (const locale of directoriesIn(templateDir)) {
      const localeDir = join(templateDir, locale);
      if (!LOCALE.test(locale)) fail(dir, localeDir, 'not a locale such as nl or nl-BE');
      const localeBlocks = readBlocks(dir, localeDir);
      const tones: Partial<Record<TextVariant, ToneTemplates>> = {};
      for (const tone of readdirSync(localeDir).sort()) {
        if (tone === BLOCKS_DIR) continue;
        const toneDir = join(localeDir, tone);
        const parsed = TextVariantSchema.safeParse(tone);
        if (!parsed.success || !statSync(toneDir).isDirectory()) {
          fail(
            dir,
            toneDir,
            'expected a text variant folder (friendly, firm, or a kebab-case variant name) or blocks/',
          );
        }
        tones[parsed.data] = readToneDir(dir, toneDir, localeBlocks);
      }
      // Which variants a locale needs is the tone rule's (content validation), as the journeys decide it.
      if (Object.keys(tones).length === 0)
        fail(dir, localeDir, 'no text variant folders (friendly, firm, …)');
      locales[locale] = tones;
    }
    if (Object.keys(locales).length === 0) fail(dir, templateDir, 'no locale folders');
    catalog.templates[templateId] = locales;
    if (catalog.info) catalog.info[templateId] = info;
  }

  try {
    checkCatalog(catalog);
  } catch (error) {
    // The renderer names a part "template payment-reminder/nl/firm/email.html: …": turn it into its file.
    const message = (error as Error).message
      .replace(/^template (\S+): /, '$1.liquid: ')
      .replace('/email.html.liquid: ', `/${EMAIL_SOURCE_FILE} (compiled): `);
    throw new Error(`templates: ${message}`, { cause: error });
  }
  catalogs.set(dir, catalog);
  return catalog;
}
