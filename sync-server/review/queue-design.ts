/**
 * The queue database's views (the same JavaScript on Apache CouchDB and the embedded store):
 * `by_scope_due` lists a scope's (a town's, or the county's) open or closed cases in due-date order,
 * with the fields filters need as the value; `counts` counts cases per scope and status.
 */
export const NO_DUE_DATE = '9999-12-31';

export const QUEUE_DESIGN = {
  _id: '_design/queue',
  language: 'javascript',
  views: {
    by_scope_due: {
      map: `function (doc) {
  if (doc.type !== 'queueEntry') return;
  var due = doc.dueOn || '${NO_DUE_DATE}';
  var state = doc.open ? 'open' : 'closed';
  var facets = [doc.village, doc.sector, doc.itemCode, doc.status, doc.currentLevel, doc.acceptedOn];
  emit(['county', state, due, doc._id], facets);
  emit([doc.town, state, due, doc._id], facets);
}`,
    },
    counts: {
      map: `function (doc) {
  if (doc.type !== 'queueEntry') return;
  emit(['county', doc.status], null);
  emit([doc.town, doc.status], null);
}`,
      reduce: '_count',
    },
  },
};
