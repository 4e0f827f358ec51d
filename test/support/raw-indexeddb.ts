/** What a kiosk's IndexedDB (fake-indexeddb in Node) holds, read around RxDB: for privacy tests. */

/** Every value in every object store of every IndexedDB database, as text. */
export async function rawIndexedDb(indexedDB: IDBFactory): Promise<string> {
  const request = <T>(r: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      r.onsuccess = () => {
        resolve(r.result);
      };
      r.onerror = () => {
        reject(r.error ?? new Error('IndexedDB request failed'));
      };
    });
  const chunks: string[] = [];
  for (const info of await indexedDB.databases()) {
    const open = indexedDB.open(info.name ?? '');
    const db = await request(open);
    const stores = [...db.objectStoreNames];
    if (stores.length > 0) {
      const tx = db.transaction(stores, 'readonly');
      for (const store of stores) chunks.push(JSON.stringify(await request(tx.objectStore(store).getAll())));
    }
    db.close();
  }
  return chunks.join('\n');
}
