import type { BusinessFields } from "../../src/domain/business";
import { type DemoBusiness, generateDemoRegistry } from "../demo/generate";
import { type DemoKey, demoBusinessKey, demoOfficerKey } from "./demo-keys";
import type { SeedBusiness } from "./seed-sql";

/** The generator's records as API input (null location parts become absent, as a client would send). */
export function toSeedBusiness(b: DemoBusiness): SeedBusiness {
  const { id, location, ...rest } = b;
  const fields: BusinessFields = {
    ...rest,
    location: {
      kelurahan: location.kelurahan ?? undefined,
      kecamatan: location.kecamatan ?? undefined,
      city: location.city,
      lat: location.lat,
      lng: location.lng,
    },
  };
  return { id, fields };
}

export function demoSeedBusinesses(): SeedBusiness[] {
  return generateDemoRegistry().map(toSeedBusiness);
}

export interface DemoCredentials {
  officerKey: string;
  businesses: Array<{ id: string; name: string; key: string }>;
}

/** Everything `npm run demo:credentials` prints; recomputed, never read from the database. */
export async function demoCredentials(businesses: SeedBusiness[] = demoSeedBusinesses()): Promise<{
  credentials: DemoCredentials;
  officer: DemoKey;
  keys: Map<string, DemoKey>;
}> {
  const officer = await demoOfficerKey();
  const keys = new Map<string, DemoKey>();
  for (const b of businesses) keys.set(b.id, await demoBusinessKey(b.id));
  return {
    officer,
    keys,
    credentials: {
      officerKey: officer.plaintext,
      businesses: businesses.map((b) => ({
        id: b.id,
        name: b.fields.name,
        key: keys.get(b.id)?.plaintext ?? "",
      })),
    },
  };
}
