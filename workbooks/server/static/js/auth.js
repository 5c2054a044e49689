// What the add-in sends as "Authorization" with every function call and script run.
// - "entraid" (Microsoft Entra ID single sign-on, configured as xlwings Server documents it);
// - "xlkg": the access key typed once into the xlkg task pane, kept in this add-in's local storage;
// - no provider: nothing (the server then answers requests from this machine only).
globalThis.getAuth = async function () {
  const providers = (globalThis.config && globalThis.config.authProviders) || [];
  if (providers.includes("entraid")) {
    return { token: await xlwings.getAccessToken(), provider: "entraid" };
  }
  if (providers.includes("xlkg")) {
    return { token: localStorage.getItem("xlkg-access-key") || "", provider: "xlkg" };
  }
  return { token: "", provider: "" };
};
