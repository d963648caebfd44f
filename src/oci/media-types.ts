// OCI media types used by the image builder, archive writer and registry pusher.

export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_TYPE_OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Annotation that OCI layouts use to name a manifest; containerd 1.6 `ctr images import` takes it as the image name. */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** containerd's own name annotation; its importer prefers it over the OCI ref name. */
export const ANNOTATION_CONTAINERD_IMAGE_NAME = 'io.containerd.image.name';
