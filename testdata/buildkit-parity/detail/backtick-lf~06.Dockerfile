# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS w
copy ["C:\\src\\app", "C:\\app"]
WORKDIR C:/app
WORKDIR /abs
RUN echo a `
  b `

  c
ENV PATH="C:\Windows;C:\app" `
    MODE=production
ENV A B
CMD C:\app\run.exe
ENTRYPOINT ["C:\\app\\run.exe"]
RUN echo \ not-a-continuation
LABEL a=`
b
