FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3-aiosmtpd && rm -rf /var/lib/apt/lists/*
COPY scripts/mail_catcher.py /usr/local/bin/mail_catcher.py
EXPOSE 2525
CMD ["/usr/bin/python3", "/usr/local/bin/mail_catcher.py", "--listen", "0.0.0.0:2525", "--dir", "/mail"]
