// xlkg's ribbon button (templates/manifest.xml, FunctionName "xlkg-fill-scorecard"): runs the
// script fill_scorecard of custom_scripts on the open workbook. An xlkg message (for example "this
// workbook has no input sheets: ...") is shown in a dialog by xlwings' runPython.
async function xlkgFillScorecard(event) {
  const auth =
    typeof globalThis.getAuth === "function"
      ? await globalThis.getAuth()
      : { token: "", provider: "" };
  try {
    await xlwings.runPython({
      scriptName: "fill_scorecard",
      auth: auth.token,
      headers: { "Auth-Provider": auth.provider },
    });
  } finally {
    event.completed();
  }
}
Office.actions.associate("xlkg-fill-scorecard", xlkgFillScorecard);
