// The app's names, shared by main and the packaging config (electron-builder.yml must agree; a test
// checks it): the id keys login items, autostart files and Windows notifications.
export const APP_ID = 'dev.litellm.interceptor';
export const PRODUCT_NAME = 'LiteLLM Interceptor';
