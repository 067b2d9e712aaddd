// Reads an XForm on standard input and prints what enketo-transformer makes of it, as Enketo's servers do
// (the HTML form, the model, the languages), as JSON. Run by tests/e2e/test_field_enketo.py.
const { transform } = require('enketo-transformer');

let xform = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { xform += chunk; });
process.stdin.on('end', () => {
  transform({ xform }).then(
    (result) => process.stdout.write(JSON.stringify({
      form: result.form, model: result.model, languageMap: result.languageMap,
      transformerVersion: result.transformerVersion,
    })),
    (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); },
  );
});
