/**
 * `npm run templates`: compiles `templates/` into a folder the runtime loads. Every `email.mjml`
 * becomes `email.html.liquid` (MJML's responsive HTML, with the Liquid left in for send time);
 * everything else is copied. MJML runs here, at build time, never per send and never in a Lambda
 * bundle. The output is checked by loading it (layout, template.json, Liquid syntax) and stamped
 * with the hash of its sources, so a stale copy is refused by the loader.
 *
 * Run by `npm test` (vitest global setup), `npm start`, `npm run preview`, `npm run bench` and the
 * CDK bundling of every function that needs templates (`--out <bundle>/templates`).
 */
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import mjml2html from 'mjml';
import {
  compiledTemplatesDir,
  EMAIL_SOURCE_FILE,
  loadTemplateCatalog,
  SOURCE_HASH_FILE,
  sourceHashOf,
  sourceTemplatesDir,
} from '#adapters/template-files.ts';

const COMPILED_EMAIL_FILE = 'email.html.liquid';

export interface CompileResult {
  /** The compiled folder. */
  dir: string;
  /** Emails compiled from MJML; 0 when the folder was already up to date. */
  emails: number;
  upToDate: boolean;
}

/** Returns the MJML compiled to HTML, or throws naming the file and MJML's complaints. */
export async function compileMjml(source: string, file: string): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  } catch (error) {
    // Strict validation throws with the list of problems.
    const details = (error as { errors?: Array<{ formattedMessage?: string; message: string }> }).errors;
    const text = details?.map((e) => e.formattedMessage ?? e.message).join('; ') ?? (error as Error).message;
    throw new Error(`templates: ${file}: invalid MJML: ${text}`, { cause: error });
  }
  if (result.errors.length > 0) {
    throw new Error(
      `templates: ${file}: invalid MJML: ${result.errors.map((e) => e.formattedMessage).join('; ')}`,
    );
  }
  return `${result.html.trim()}\n`;
}

/** Returns every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * Compiles the template folders of `from` into `to` (replacing it) unless `to` already holds
 * them compiled from the same sources. Throws naming the file on any MJML, layout or Liquid error;
 * `to` is then left as it was.
 */
export async function compileTemplates(
  options: { from?: string; to?: string; force?: boolean } = {},
): Promise<CompileResult> {
  const from = options.from ?? sourceTemplatesDir();
  const to = options.to ?? compiledTemplatesDir();
  const hash = sourceHashOf(from);
  if (!options.force) {
    const previous = await readFile(join(to, SOURCE_HASH_FILE), 'utf8').catch(() => '');
    if (previous.trim() === hash) return { dir: to, emails: 0, upToDate: true };
  }

  // Build next to the target and swap it in, so a failed build never leaves half a folder.
  const building = `${to}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  let emails = 0;
  try {
    const templateIds = (await readdir(from, { withFileTypes: true })).filter((e) => e.isDirectory());
    for (const { name: templateId } of templateIds) {
      for (const path of await filesUnder(join(from, templateId))) {
        const source = join(from, templateId, path);
        const file = join(templateId, path);
        if (path.endsWith(`/${COMPILED_EMAIL_FILE}`)) {
          throw new Error(`templates: ${file}: write the email body as ${EMAIL_SOURCE_FILE}, it is compiled`);
        }
        if (path.endsWith(`/${EMAIL_SOURCE_FILE}`) || path === EMAIL_SOURCE_FILE) {
          const html = await compileMjml(await readFile(source, 'utf8'), file);
          const target = join(building, templateId, dirname(path), COMPILED_EMAIL_FILE);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, html);
          emails++;
        } else {
          await cp(source, join(building, file));
        }
      }
    }
    await writeFile(join(building, SOURCE_HASH_FILE), `${hash}\n`);
    // Layout, template.json and Liquid syntax, with the file named (`templates: payment-reminder/…`).
    loadTemplateCatalog(building);
    await rm(to, { recursive: true, force: true });
    await mkdir(dirname(to), { recursive: true });
    await rename(building, to);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  return { dir: to, emails, upToDate: false };
}

// Run as a script: `node infra/content/compile-templates.ts [--out <dir>] [--force]`.
if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  // A misspelt template.json key is named with the nearest valid one before MJML runs.
  const { contentReport } = await import('./content-issue.ts');
  const { validateTemplateInfos } = await import('./validate-files.ts');
  const infoIssues = validateTemplateInfos();
  if (infoIssues.length > 0) {
    console.error(contentReport(infoIssues));
    process.exit(1);
  }
  try {
    const result = await compileTemplates({ ...(values.out ? { to: values.out } : {}), force: values.force });
    console.log(
      result.upToDate
        ? `templates up to date in ${result.dir}`
        : `templates compiled to ${result.dir} (${result.emails} emails from MJML)`,
    );
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
