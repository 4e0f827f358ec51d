/** Logical database names. The store module adds the configured prefix. */
export const DB = {
  /** Read-only to kiosks: catalog, division table, working calendar, notices. */
  catalog: 'catalog',
  /** Enrollment codes, kiosks and their credentials (hashed), kiosk numbers. */
  kiosks: 'cunban_kiosks',
  /** Reviewer accounts (hashed passwords) for the console. */
  users: 'cunban_users',
  /** Documents the gateway refused, with reason, kiosk and time. */
  quarantine: 'cunban_quarantine',
  /** One entry per accepted write batch, and per audited act. */
  audit: 'cunban_audit',
  /** Provisioning state: which store schema version is applied. */
  meta: 'cunban_meta',
  /** Materials files: metadata per case and file, chunks per village and digest. */
  files: 'cunban_files',
  /** The review queue: one entry per case of the county, projected from the village databases. */
  queue: 'cunban_queue',
} as const;

export const CONTROL_DBS = [DB.kiosks, DB.users, DB.quarantine, DB.audit, DB.meta, DB.files, DB.queue] as const;

export const villageDb = (village12: string) => `village_${village12}`;

const VILLAGE_DB = /^village_(\d{12})$/;
export function villageOfDb(logical: string): string | undefined {
  return VILLAGE_DB.exec(logical)?.[1];
}

/**
 * A village hall's own database (`hall_<12-digit code>`): its hours for visits and its appointments. Apart
 * from the cases so that a kiosk from before appointments, which pulls every document of its village
 * database as a case, never sees one, and so the public page's writes never touch a case database.
 */
export const hallDb = (village12: string) => `hall_${village12}`;

const HALL_DB = /^hall_(\d{12})$/;
export function villageOfHallDb(logical: string): string | undefined {
  return HALL_DB.exec(logical)?.[1];
}
