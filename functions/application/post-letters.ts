/**
 * Posting letters: lays each recorded letter out as a PDF (`pdf-letter.ts`) and hands the batch to the
 * print-and-mail partner (`LetterPost`), then marks each letter posted so the next run leaves it.
 * A letter the partner took twice (a run that failed after the hand-over) is the partner's to
 * de-duplicate by its id, which the manifest carries; the batch id is the day and the run's moment.
 */

import { renderLetterPdf } from '#adapters/pdf-letter.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import type { LetterSender, LetterToPost } from '#core/letter.ts';
import type { Clock, LetterPost, LettersToPost, PrintedLetter } from '#core/ports.ts';

export interface PostLettersDeps {
  letters: LettersToPost;
  post: LetterPost;
  sender: LetterSender;
  clock: Clock;
  /** The sender's own country: an address there is printed without its country line. */
  homeCountry?: string;
}

/** Posts the given letters as one batch; returns where the batch went and how many letters it holds. */
export async function postLetterBatch(
  deps: PostLettersDeps,
  day: string,
  letters: readonly LetterToPost[],
): Promise<{ batch: string; posted: number; location: string | null }> {
  const now = deps.clock.now();
  const batch = `${day}-${now.toISOString().slice(11, 19).replaceAll(':', '')}`;
  if (letters.length === 0) return { batch, posted: 0, location: null };
  const printed: PrintedLetter[] = [];
  for (const letter of letters) {
    const { pdf, pages } = await renderLetterPdf(letter, deps.sender, {
      ...(deps.homeCountry ? { homeCountry: deps.homeCountry } : {}),
    });
    printed.push({ letterId: letter.letterId, pdf, pages, country: letter.recipient.address.country ?? '' });
  }
  const { location } = await deps.post.postBatch({ id: batch, day, letters: printed });
  for (const letter of letters) await deps.letters.markPosted(letter, { batch, at: now });
  logger.info('letters posted', { batch, letters: letters.length });
  metrics.addMetric('LettersPosted', 'Count', letters.length);
  return { batch, posted: letters.length, location };
}

/** Posts the letters recorded on `day` and not yet posted. */
export async function postLettersOf(
  deps: PostLettersDeps,
  day: string,
): Promise<{ batch: string; posted: number; location: string | null }> {
  return postLetterBatch(deps, day, await deps.letters.lettersOf(day));
}
