/**
 * The template gallery for the console: every template × locale × variant × channel rendered with its
 * sample data from the templates bundled with the function, each SMS with its parts and price, each
 * letter as its PDF (pdf-lib: this function's bundle is larger than most, see the bundle budget). Rendered
 * once per instance: the templates only change with a deployment.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger } from '#adapters/powertools.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { type TemplateGallery, TemplateGallerySchema } from '#application/api/templates.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { templateGalleryOf } from '#application/templates/template-gallery.ts';
import type { Policy } from '#core/policy.ts';
import type { TemplateCatalog } from '#core/render.ts';

export const apiDoc: ApiDoc = {
  summary: 'Every template × locale × variant × channel rendered with its sample data',
  description:
    'As the preview gallery renders them: each email with its subject, HTML and text, each SMS with its parts, encoding and price at the policy’s default price of one part, each letter as its PDF; renderings that fail or may not ship say why.',
  responses: { 200: { description: 'The gallery', schema: TemplateGallerySchema } },
};

export interface GetTemplateGalleryDeps {
  catalog: TemplateCatalog;
  policy: Policy;
}

export function makeHandler(deps: GetTemplateGalleryDeps) {
  let gallery: TemplateGallery | undefined;
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          gallery ??= await templateGalleryOf(deps.catalog, deps.policy);
          return json(200, gallery);
        },
        (error) => logger.error('get-template-gallery failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() =>
  makeHandler({ catalog: loadTemplateCatalog(defaultTemplatesDir()), policy: loadPolicy() }),
);
