/** A customer's new account: what onboarding is about. Its portal activated (`portal.activated`) is the goal. */
import * as z from 'zod/mini';
import { defineSubject } from './subject-type.ts';

/** The account, with the link that activates its portal. */
export const AccountSubjectSchema = z.strictObject({
  type: z.literal('account'),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  activationUrl: z.url({ protocol: /^https$/ }),
});
export type AccountSubject = z.infer<typeof AccountSubjectSchema>;

export default defineSubject<AccountSubject>({
  type: 'account',
  schema: AccountSubjectSchema,
  statuses: ['open', 'activated'],
  goalStatuses: ['activated'],
  events: {
    'portal.activated': {
      status: 'activated',
      exit: true,
      description: 'the account’s portal is activated: onboarding’s goal, its running journeys end at once',
    },
  },
  dates: [],
  links: (account) => ({ activate: account.activationUrl }),
  sample: ({ id }) => ({ type: 'account', id, activationUrl: `https://portal.example.com/activate/${id}` }),
});
