import { useState } from 'preact/hooks';
import { useResource } from '../../api/api-context.ts';
import { type GalleryEntry, type TemplateGallery, templateGalleryPath } from '../../api/templates.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { EmailFrame } from '../customers/timeline/email-frame.tsx';
import { LetterPages } from './letter-pages.tsx';
import { templatesMessages } from './templates.messages.ts';

type T = ReturnType<typeof templatesMessages.useT>;

const usd = (value: number, language: string) =>
  new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 }).format(
    value,
  );

function Rendering({ entry, partPrice, t }: { entry: GalleryEntry; partPrice: number; t: T }) {
  const { language } = useLanguage();
  const name = t('rendering', {
    template: entry.templateId,
    locale: entry.locale,
    variant: entry.variant,
    channel: t(entry.channel),
  });
  const notes = [
    ...entry.problems.map((problem) => <li class="error">{t('problem', { problem })}</li>),
    ...entry.warnings.map((warning) => <li>{t('warning', { warning })}</li>),
  ];
  return (
    <article
      class="card rendering"
      data-template={entry.templateId}
      data-locale={entry.locale}
      data-variant={entry.variant}
      data-channel={entry.channel}
      aria-label={name}
    >
      <h2>{name}</h2>
      {entry.error !== undefined ? <p class="error">{t('failed', { error: entry.error })}</p> : null}
      {notes.length > 0 ? <ul>{notes}</ul> : null}
      {entry.channel === 'email' && entry.text !== undefined ? (
        <>
          <p>
            <strong>{t('subject')}:</strong> {entry.subject}
          </p>
          <EmailFrame
            body={{
              text: entry.text,
              ...(entry.subject ? { subject: entry.subject } : {}),
              ...(entry.html ? { html: entry.html } : {}),
            }}
            title={t('emailTitle', {
              template: entry.templateId,
              locale: entry.locale,
              variant: entry.variant,
            })}
            lang={entry.locale}
          />
          <details>
            <summary>{t('textPart')}</summary>
            <pre class="text-part">{entry.text}</pre>
          </details>
        </>
      ) : null}
      {entry.channel === 'letter' && entry.letter ? (
        <>
          <p>
            <strong>{t('subject')}:</strong> {entry.subject}
          </p>
          <p class="muted" data-pages={entry.letter.pages}>
            {t('letterPages', { pages: entry.letter.pages })}
          </p>
          <LetterPages
            pdf={entry.letter.pdf}
            labelOf={(page, pages) =>
              t('letterPage', {
                template: entry.templateId,
                locale: entry.locale,
                variant: entry.variant,
                page,
                pages,
              })
            }
            drawing={t('letterDrawing')}
            failed={(error) => t('letterFailed', { error })}
          />
          <details>
            <summary>{t('letterText')}</summary>
            <pre class="text-part">{entry.text}</pre>
          </details>
        </>
      ) : null}
      {entry.channel === 'sms' && entry.text !== undefined && entry.sms ? (
        <>
          <p class="sms-bubble">{entry.text}</p>
          <p class="muted" data-parts={entry.sms.parts} data-encoding={entry.sms.encoding}>
            {t('smsParts', {
              parts: entry.sms.parts,
              encoding: entry.sms.encoding,
              length: entry.sms.length,
              room: entry.sms.parts * entry.sms.perPart,
            })}
          </p>
          <p class="sms-price" data-price-usd={entry.sms.priceUsd}>
            {t('smsPrice', {
              price: usd(entry.sms.priceUsd, language),
              parts: entry.sms.parts,
              partPrice: usd(partPrice, language),
            })}
          </p>
        </>
      ) : null}
    </article>
  );
}

function Gallery({ gallery, t }: { gallery: TemplateGallery; t: T }) {
  const { language } = useLanguage();
  const templates = [...new Set(gallery.entries.map((e) => e.templateId))];
  const locales = [...new Set(gallery.entries.map((e) => e.locale))];
  const [templateId, setTemplateId] = useState(templates[0] ?? '');
  const [locale, setLocale] = useState('');
  const [channel, setChannel] = useState('');
  const shown = gallery.entries.filter(
    (e) =>
      e.templateId === templateId &&
      (locale === '' || e.locale === locale) &&
      (channel === '' || e.channel === channel),
  );
  const countries = Object.entries(gallery.smsPartPriceUsd.byCountry)
    .map(([country, price]) => `${country} ${usd(price, language)}`)
    .join(', ');
  return (
    <>
      <div class="filters">
        <label for="templates-template">{t('template')}</label>
        <select
          id="templates-template"
          value={templateId}
          onChange={(e) => setTemplateId(e.currentTarget.value)}
        >
          {templates.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <label for="templates-locale">{t('locale')}</label>
        <select id="templates-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          {locales.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <label for="templates-channel">{t('channel')}</label>
        <select id="templates-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          <option value="email">{t('email')}</option>
          <option value="sms">{t('sms')}</option>
          <option value="letter">{t('letter')}</option>
        </select>
      </div>
      <p class="muted">
        {t('pricing', { price: usd(gallery.smsPartPriceUsd.default, language), countries: countries || '—' })}
        {gallery.costsSource ? ` ${t('costsSource', { source: gallery.costsSource })}` : ''}
      </p>
      <p class="muted" aria-live="polite">
        {t('count', { count: shown.length })}
      </p>
      {shown.length === 0 ? <Empty>{t('none')}</Empty> : null}
      {shown.map((entry) => (
        <Rendering
          key={`${entry.templateId}/${entry.locale}/${entry.variant}/${entry.channel}`}
          entry={entry}
          partPrice={gallery.smsPartPriceUsd.default}
          t={t}
        />
      ))}
    </>
  );
}

/** The template gallery: every template × locale × variant × channel as the customer gets it, SMS with parts and price, letters as printed. */
export default function TemplatesPage() {
  const t = templatesMessages.useT();
  const gallery = useResource<TemplateGallery>(templateGalleryPath);
  return (
    <section>
      <PageTitle subtitle={t('intro')}>{t('title')}</PageTitle>
      {gallery.status === 'loading' ? <Loading /> : null}
      {gallery.status === 'error' ? <ErrorState error={gallery.error} onRetry={gallery.reload} /> : null}
      {gallery.status === 'not-found' ? <Empty>{t('none')}</Empty> : null}
      {gallery.status === 'ready' ? <Gallery gallery={gallery.data} t={t} /> : null}
    </section>
  );
}
