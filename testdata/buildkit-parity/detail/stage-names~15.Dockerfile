from alpine AS Build-Env
run echo build

from alpine AS my_stage.v1
copy --from=BUILD-ENV /etc/hostname /h

from alpine AS APP
from alpine AS app
from alpine AS context
from alpine AS Scratch
from alpine AS Context
from scratch AS scratch
from alpine AS a1
copy --from=nginx:1.27 /etc/nginx /etc/nginx
copy --from=0 /etc/hostname /zero
copy --from=Build-env /x /y
run --mount=from=MY_STAGE.V1,target=/m true
from my_stage.v1 AS b1
from app
