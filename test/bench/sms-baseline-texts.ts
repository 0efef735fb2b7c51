/**
 * The SMS texts the "before" of `bench:sms` is measured with, where a shipped text has been rewritten
 * since: the baseline (483.07 USD per 1,000 NL customers on the SMS-preferring payment reminder) stays
 * the same figure however the shipped texts change, so "after" is compared with one fixed "before".
 * Keyed `<template>/<language>/<variant>`; every other text is measured as shipped. Blocks are the shipped ones.
 */
const firm = {
  nl: '{{ blocks.amount-due }} Betaal via {{ links.pay }}\n{{ blocks.next-step }}\n{{ optOut }}',
  en: '{{ blocks.amount-due }} Pay at {{ links.pay }}\n{{ blocks.next-step }}\n{{ optOut }}',
};

export const BASELINE_SMS_TEXTS: Readonly<Record<string, string>> = {
  'payment-reminder/nl/friendly':
    'Uw factuur van {{ invoice.amount | money: invoice.currency }} staat nog open. Wilt u binnen 7 dagen betalen? {{ links.pay }}\n{{ optOut }}',
  'payment-reminder/en/friendly':
    'Your invoice of {{ invoice.amount | money: invoice.currency }} is still open. Please pay within 7 days: {{ links.pay }}\n{{ optOut }}',
  'payment-reminder/nl/firm': firm.nl,
  'payment-reminder/en/firm': firm.en,
  'payment-final-notice/nl/firm': firm.nl,
  'payment-final-notice/en/firm': firm.en,
  'payment-pre-due-notice/nl/firm': firm.nl,
  'payment-pre-due-notice/en/firm': firm.en,
};
