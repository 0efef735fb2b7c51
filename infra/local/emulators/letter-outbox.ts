/**
 * Letters on one machine: the print-and-mail partner's side of the letters port (`LetterPost`). It keeps
 * each letter's PDF (under `.local/letters/<day>/` with `npm start`, in memory otherwise) with the
 * simulated time it was posted and the customer it went to, and serves them. Binds to 127.0.0.1 only.
 *
 * - `GET /`: the letters as a small HTML page, newest first, each linking its PDF.
 * - `GET /letters`: the letters as JSON, oldest first (no PDF bytes). `GET /letters/<id>.pdf`: one PDF.
 * - `POST /clear`: empties the outbox.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { LetterToPost } from '#core/letter.ts';
import type { Clock, LetterPost } from '#core/ports.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';

/** One letter as the outbox keeps it. */
export interface PostedLetter {
  letterId: string;
  customerId: string;
  journeyId: string;
  stepId: string;
  batch: string;
  pages: number;
  country: string;
  /** When it was posted, on the run's simulated clock (ISO). */
  postedAt: string;
  /** Where its PDF was written, when the outbox writes files. */
  file?: string;
  pdf: Uint8Array;
}

export interface RunningLetterOutbox {
  endpoint: string;
  /** The partner side the posting function hands batches to. */
  post: LetterPost;
  /** Notes who a letter is for before its batch is posted (the port carries no personal data but the PDF). */
  expect(letter: LetterToPost): void;
  letters(): PostedLetter[];
  clear(): void;
  stop(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export async function startLetterOutbox(options: {
  port?: number;
  clock: Clock;
  /** Where the PDFs are written (`.local/letters`); in memory only when absent. */
  dir?: string;
}): Promise<RunningLetterOutbox> {
  const stored: PostedLetter[] = [];
  const expected = new Map<string, LetterToPost>();
  const post: LetterPost = {
    async postBatch(batch) {
      const manifest = [];
      for (const printed of batch.letters) {
        const letter = expected.get(printed.letterId);
        let file: string | undefined;
        if (options.dir) {
          const folder = join(options.dir, batch.day);
          await mkdir(folder, { recursive: true });
          file = join(folder, `${printed.letterId}.pdf`);
          await writeFile(file, printed.pdf);
        }
        stored.push({
          letterId: printed.letterId,
          customerId: letter?.customerId ?? '',
          journeyId: letter?.journeyId ?? '',
          stepId: letter?.stepId ?? '',
          batch: batch.id,
          pages: printed.pages,
          country: printed.country,
          postedAt: options.clock.now().toISOString(),
          ...(file ? { file } : {}),
          pdf: printed.pdf,
        });
        manifest.push({ letterId: printed.letterId, pages: printed.pages, country: printed.country });
      }
      if (options.dir) {
        await writeFile(
          join(options.dir, batch.day, `${batch.id}.manifest.json`),
          JSON.stringify(manifest, null, 2),
        );
      }
      return { location: options.dir ? join(options.dir, batch.day) : `memory:${batch.id}` };
    },
  };
  const listed = () => stored.map(({ pdf: _pdf, ...rest }) => rest);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST' && url.pathname === '/clear') {
      stored.length = 0;
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405).end();
      return;
    }
    if (url.pathname === '/letters') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed()));
      return;
    }
    const pdf = /^\/letters\/([A-Za-z0-9._-]+)\.pdf$/.exec(url.pathname);
    if (pdf) {
      const letter = stored.find((l) => l.letterId === pdf[1]);
      if (!letter) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from(letter.pdf));
      return;
    }
    if (url.pathname !== '/') {
      response.writeHead(404).end();
      return;
    }
    const rows = [...stored]
      .reverse()
      .map(
        (l) =>
          `<tr><td>${escapeHtml(l.postedAt)}</td><td>${escapeHtml(l.customerId)}</td><td>${escapeHtml(`${l.journeyId}/${l.stepId}`)}</td><td>${l.pages}</td><td>${escapeHtml(l.country)}</td><td><a href="/letters/${escapeHtml(l.letterId)}.pdf">PDF</a></td></tr>`,
      )
      .join('\n');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Letter outbox</title></head>
<body><h1>Letter outbox</h1><p>${stored.length} letter(s), newest first; times are the simulated clock.</p>
<table><thead><tr><th>posted (simulated)</th><th>customer</th><th>step</th><th>pages</th><th>country</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`);
  });
  const address = await listenLocal(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    post,
    expect: (letter) => expected.set(letter.letterId, letter),
    letters: () => [...stored],
    clear: () => {
      stored.length = 0;
    },
    stop: () => closeServer(server),
  };
}
