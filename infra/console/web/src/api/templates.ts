export type { GalleryEntry, TemplateGallery } from '#application/api/templates.ts';
export { templateGalleryPath } from '#application/api/templates.ts';
