from alpine
expose 80-90/udp
expose 80/sctp 81/SCTP
expose 8000-8010/Udp 22
expose 127.0.0.1:80:80
expose 127.0.0.1::80
expose :8080
expose 8080:80/tcp
expose 5000 \
  5001/TCP \
  5002/udp
arg P=80/TCP
expose ${P}
env Q=81/UDP R=82
expose $Q $R/TCP "$R"
