// Drives a live Keel server with the npm `mlflow` client, the way a Node.js user would.
// Usage: node flow.mjs http://127.0.0.1:PORT  — prints one JSON line with what it saw; exits 1 on any failure.
import MLflowModule from 'mlflow';

const MLflow = MLflowModule.default ?? MLflowModule;
const endpoint = process.argv[2].replace(/\/$/, '');
const mlflow = new MLflow({ endpoint });
// The client logs every request body with console.log; keep stdout for our one result line.
const log = console.log;
console.log = () => {};

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const name = `npm-compat-${Date.now()}`;
const { experiment_id } = await mlflow.Experiments.create({ name });
const listed = await mlflow.Experiments.list({ view_type: 'ACTIVE_ONLY' });
check(listed.experiments.some(e => e.experiment_id === experiment_id && e.name === name), 'experiments/list lacks the new experiment');
const got = await mlflow.Experiments.get({ experiment_id });
check(got.experiment.name === name, 'experiments/get returned another name');

const start = Date.now();
const { run } = await mlflow.Runs.create({ experiment_id, user_id: 'node', start_time: start, tags: [{ key: 'client', value: 'npm-mlflow' }] });
const run_id = run.info.run_id;
check(/^[0-9a-f]{32}$/.test(run_id), `unexpected run id ${run_id}`);

await mlflow.Runs.logParameter({ run_id, key: 'lr', value: '0.01' });
await mlflow.Runs.setTag({ run_id, key: 'stage', value: 'dev' });
for (let step = 0; step < 5; step++) {
  await mlflow.Runs.logMetric({ run_id, key: 'loss', value: 1 / (step + 1), timestamp: start + step, step });
}
await mlflow.Runs.logBatch({
  run_id,
  metrics: Array.from({ length: 20 }, (_, i) => ({ key: 'acc', value: i / 20, timestamp: start + i, step: i })),
  params: [{ key: 'layers', value: '3' }],
  tags: [{ key: 'batch', value: 'yes' }],
});

// A second run that the filter must leave out.
const other = (await mlflow.Runs.create({ experiment_id, user_id: 'node', start_time: start + 1 })).run.info.run_id;
await mlflow.Runs.logParameter({ run_id: other, key: 'lr', value: '0.1' });

const found = await mlflow.Runs.search({
  experiment_ids: [experiment_id],
  filter: "params.lr = '0.01' and metrics.acc > 0.5",
  run_view_type: 'ACTIVE_ONLY',
  max_results: 10,
  order_by: ['metrics.acc DESC'],
});
check(found.runs?.length === 1 && found.runs[0].info.run_id === run_id, `search found ${JSON.stringify(found.runs?.map(r => r.info.run_id))}`);

const history = await mlflow.Metrics.getHistory({ run_id, metric_key: 'acc' });
check(history.metrics.length === 20, `history has ${history.metrics.length} points`);

await mlflow.Runs.update({ run_id, status: 'FINISHED', end_time: start + 1000 });
const finished = await mlflow.Runs.get({ run_id });
check(finished.run.info.status === 'FINISHED', `status is ${finished.run.info.status}`);

let rejected = false;
try {
  await mlflow.Runs.logParameter({ run_id, key: 'lr', value: '0.5' });
} catch (e) {
  rejected = JSON.parse(e.message.replace(/^Error: /, '')).data.error_code === 'INVALID_PARAMETER_VALUE';
}
check(rejected, 'changing a param was not rejected with INVALID_PARAMETER_VALUE');

log(JSON.stringify({ experiment_id, run_id, history: history.metrics.length, status: finished.run.info.status }));
