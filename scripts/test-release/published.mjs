/**
 * Asks the registry, as npm would, for each package's metadata and checks that the version
 * `changeset version` wrote is there and tagged latest.
 *
 * @param {{ registryUrl: string, versions: Map<string, string> }} options
 */
export async function expectPublished({ registryUrl, versions }) {
  for (const [name, version] of versions) {
    const response = await fetch(`${registryUrl}${name.replace('/', '%2f')}`);
    if (!response.ok) throw new Error(`the registry has no ${name} (HTTP ${response.status})`);
    const metadata = await response.json();
    if (!metadata.versions?.[version]) throw new Error(`the registry has no ${name}@${version}`);
    if (metadata['dist-tags']?.latest !== version) {
      throw new Error(`${name}: latest is ${metadata['dist-tags']?.latest}, not ${version}`);
    }
  }
}
