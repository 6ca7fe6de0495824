from alpine
arg TOKEN
arg TOKENIZER
arg npm_token
arg PASS
arg PASSWD
arg APIKEY
arg API_KEY
arg MY_SECRET_FILE
arg SECRET
arg PUBLIC_TOKEN
arg a=1 DB_PASS=2 c=3
env CREDENTIALS=x
env AUTHOR=me
env OAUTH_CLIENT=x
env GITHUB_AUTH=x AUTH_HEADER=y
env PASSWORD secret value
env Secret_Key=x
env KEY=x
env PRIVATE_KEY=x
env SSH_KEY=x
arg aws_secret_access_key
arg GPG_PASSPHRASE
