export type { GalleryEntry, TemplateGallery } from '#shared/api/templates.ts';
export { templateGalleryPath } from '#shared/api/templates.ts';
