// Image references as ImageLocality compares them: a name without a tag means ":latest".

export function normalizedImageName(name: string): string {
  // A ":" before the last "/" belongs to a registry host:port, not a tag.
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return `${name}:latest`;
  return name;
}
