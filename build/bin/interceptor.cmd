@echo off
rem The interceptor CLI of the packaged LiteLLM Interceptor app: runs the bundled CLI with the
rem app's own executable in Node mode, so no separate Node.js is needed. Add this folder
rem (the install folder\resources\bin) to your PATH to use it from any terminal.
setlocal
set "ELECTRON_RUN_AS_NODE=1"
"%~dp0..\..\LiteLLM Interceptor.exe" "%~dp0..\app.asar.unpacked\dist\cli\interceptor.js" %*
exit /b %ERRORLEVEL%
