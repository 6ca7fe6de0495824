# check=skip=InvalidDefaultArgInFrom
FROM alpine AS my_stage.v1
FROM My_Stage.V1 AS b1
