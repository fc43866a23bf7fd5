// What the templates ask of a control through data- attributes, so that no page needs an inline
// handler (the Content-Security-Policy runs no inline script without the response's nonce).
//   data-clear="year month"  empty these fields of the form first
//   data-period              the value "2026-10" fills the form's year and month
//   data-navigate="kind"     open ?kind=<value>
//   data-submit              submit the form
//   data-back (on a link)    go back one page instead of following the link
document.addEventListener("change", (event) => {
  const control = event.target;
  const form = control.form;
  if (control.dataset.navigate) {
    location.search = `?${control.dataset.navigate}=${encodeURIComponent(control.value)}`;
    return;
  }
  for (const name of (control.dataset.clear || "").split(" ").filter(Boolean)) {
    if (form.elements[name]) form.elements[name].value = "";
  }
  if ("period" in control.dataset) {
    const [year, month] = control.value.split("-");
    form.elements.year.value = year;
    form.elements.month.value = month;
  }
  if ("submit" in control.dataset) form.submit();
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-back]");
  if (link && history.length > 1) {
    event.preventDefault();
    history.back();
  }
});
