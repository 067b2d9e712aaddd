// The page side of tests/e2e/test_field_enketo.py: enketo-core renders a form that enketo-transformer made
// from the XForm our server serves, and gives back the record it produces. Bundled by install.sh.
import { Form } from 'enketo-core';

window.renderForm = (html, model) => {
  const container = document.getElementById('form-container');
  container.innerHTML = html;
  const form = new Form(container.querySelector('form'), { modelStr: model }, {});
  window.enketoForm = form;
  return form.init();
};

window.enketoRecord = async () => {
  const valid = await window.enketoForm.validate();
  return { valid, xml: window.enketoForm.getDataStr() };
};
