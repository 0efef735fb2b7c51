import type { EmailSender, SmsSender } from '#core/ports.ts';
import { SHORT_LINK_CODE_LENGTH, SHORT_LINK_PATH } from '#core/short-link.ts';

/** Returns the targets a short link's code leads to (none for an unknown code). */
export type ShortLinkTargets = (code: string) => Promise<readonly string[]>;

const SHORT_LINK_IN_TEXT = new RegExp(`${SHORT_LINK_PATH}([A-Za-z0-9_-]{${SHORT_LINK_CODE_LENGTH}})`, 'g');

interface Reaction {
  addresses: readonly string[];
  marker: string;
  run: () => Promise<void>;
  done: PromiseWithResolvers<void>;
}

/**
 * Watches what the local providers accept, the moment they accept it, by wrapping the senders
 * (`startLocalStack({ wrap: { email: watch.email, sms: watch.sms } })`; messages go out unchanged).
 *
 * The demo answers a message through it: a reaction registered with `once` runs as soon as the
 * first message to the customer that names the subject is accepted, before the journey's step
 * returns — so the answer (a payment, an activation, a moved visit) is there before the journey's
 * next state on any machine load, where polling from outside would race the simulated waits.
 */
export class SendWatch {
  readonly #reactions = new Set<Reaction>();
  #shortLinkTargets: ShortLinkTargets | undefined;

  /**
   * Lets a marker match the targets of the short links an SMS carries: an SMS names its subject only
   * inside its links (the pay link holds the invoice id), and its links go out short.
   */
  followShortLinksWith(targets: ShortLinkTargets): void {
    this.#shortLinkTargets = targets;
  }

  readonly email = (sender: EmailSender): EmailSender => ({
    sendEmail: async (message) => {
      const result = await sender.sendEmail(message);
      await this.#accepted(message.to, `${message.subject}\n${message.text}\n${message.html}`);
      return result;
    },
  });

  readonly sms = (sender: SmsSender): SmsSender => ({
    linksEvents: sender.linksEvents,
    providerName: sender.providerName,
    sendSms: async (message) => {
      const result = await sender.sendSms(message);
      await this.#accepted(
        message.to,
        `${message.text}\n${(await this.#linkTargets(message.text)).join('\n')}`,
      );
      return result;
    },
  });

  /**
   * Runs `reaction` once, right after the providers accept the first message to one of `addresses`
   * whose text contains `marker` (e.g. the subject's id in its link); resolves when it has run.
   */
  once(addresses: readonly string[], marker: string, reaction: () => Promise<void>): Promise<void> {
    const entry: Reaction = { addresses, marker, run: reaction, done: Promise.withResolvers<void>() };
    this.#reactions.add(entry);
    return entry.done.promise;
  }

  async #linkTargets(text: string): Promise<readonly string[]> {
    const targets = this.#shortLinkTargets;
    if (!targets || this.#reactions.size === 0) return [];
    const codes = [...text.matchAll(SHORT_LINK_IN_TEXT)].map((match) => match[1] ?? '');
    return (await Promise.all(codes.map((code) => targets(code)))).flat();
  }

  async #accepted(address: string, text: string): Promise<void> {
    for (const reaction of [...this.#reactions]) {
      if (!reaction.addresses.includes(address) || !text.includes(reaction.marker)) continue;
      this.#reactions.delete(reaction);
      // A failed reaction is the demo's problem, never the send's: the message did go out.
      await reaction.run().then(reaction.done.resolve, reaction.done.reject);
    }
  }
}
